using System.Text.Json;

namespace ScimSync.Core.Mapping;

/// <summary>A matching attribute's value for one object: the target is searched with <c>Target eq Value</c>.</summary>
public sealed record MatchingValue(int Precedence, string Target, JsonElement Value);
