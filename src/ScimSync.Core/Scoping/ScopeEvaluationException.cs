namespace ScimSync.Core.Scoping;

/// <summary>Scope could not be decided for an object; the object keeps its current state until this is fixed.</summary>
public sealed class ScopeEvaluationException(string message, Exception? inner = null) : Exception(message, inner);
