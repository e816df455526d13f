using System.Text.Json.Serialization;

namespace ScimSync.Emulators.Graph.Delta;

/// <summary>The opaque <c>$skiptoken</c> of a plain collection (appRoleAssignedTo, members, transitiveMembers).</summary>
internal sealed record PageState
{
    /// <summary>The request path the token belongs to, so it cannot be replayed against another collection.</summary>
    [JsonPropertyName("p")]
    public string Path { get; init; } = "";

    [JsonPropertyName("o")]
    public int Offset { get; init; }

    [JsonPropertyName("n")]
    public int Top { get; init; }

    [JsonPropertyName("sel")]
    public string? Select { get; init; }
}
