namespace ImageClassifier.Serving;

/// <summary>One uploaded file as received: its name (the form's file name, or "body" for a raw upload) and its bytes.</summary>
public sealed record Upload(string Name, byte[] Data);
