namespace Guidepost.Query.Aggregations.Expressions;

/// <summary>An expression that does not parse, or that met values of the wrong type while running; the
/// message says what was expected, where, and what was found.</summary>
public sealed class ExpressionException(string message) : Exception(message);
