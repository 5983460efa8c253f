namespace Guidepost.Ingestion.Wire;

/// <summary>A request body or query that cannot be accepted; the message says why, in the client's terms.</summary>
public sealed class PayloadException(string message) : Exception(message);
