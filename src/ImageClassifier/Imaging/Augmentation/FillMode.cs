namespace ImageClassifier.Imaging.Augmentation;

/// <summary>
/// How geometric augmentations fill the pixels they uncover, as Keras names them: reflect (d c b a | a b c d),
/// wrap (a b c d | a b c d), constant (k k k k | a b c d) and nearest (a a a a | a b c d).
/// </summary>
public enum FillMode { Reflect, Wrap, Constant, Nearest }

/// <summary>How geometric augmentations sample between pixels.</summary>
public enum Interpolation { Bilinear, Nearest }
