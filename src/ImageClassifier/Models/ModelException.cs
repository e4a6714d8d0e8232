namespace ImageClassifier.Models;

/// <summary>A model that cannot be built, loaded or used as asked; the message says why and what to do.</summary>
public class ModelException(string message, Exception? inner = null) : Exception(message, inner);
