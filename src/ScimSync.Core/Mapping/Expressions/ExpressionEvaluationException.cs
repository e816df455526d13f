namespace ScimSync.Core.Mapping.Expressions;

/// <summary>
/// An expression could not be evaluated for one object (for example Mid() with a start of 0, or a date that does not
/// parse). The mapping engine turns it into a failure of that object; it never ends a cycle.
/// </summary>
public sealed class ExpressionEvaluationException(string message) : Exception(message);
