using System.Text.Json.Serialization;

namespace ScimSync.Emulators.Graph.Delta;

/// <summary>
/// What a <c>$deltatoken</c> or <c>$skiptoken</c> carries. Clients treat it as opaque; the emulator packs the
/// initial query (select, id filter, page size) into it, as Graph does, so links are followed verbatim.
/// </summary>
internal sealed record DeltaState
{
    /// <summary><c>d</c> for a delta token, <c>s</c> for a skip token.</summary>
    [JsonPropertyName("k")]
    public string Kind { get; init; } = "";

    /// <summary><c>users</c> or <c>groups</c>.</summary>
    [JsonPropertyName("r")]
    public string Resource { get; init; } = "";

    [JsonPropertyName("sel")]
    public List<string>? Select { get; init; }

    [JsonPropertyName("ids")]
    public List<string>? Ids { get; init; }

    /// <summary>Changes after this sequence number belong to the round (0: initial round, everything).</summary>
    [JsonPropertyName("p")]
    public long Since { get; init; }

    /// <summary>The tenant's sequence when the round began; the next deltaLink starts from here.</summary>
    [JsonPropertyName("q")]
    public long Until { get; init; }

    /// <summary>Objects up to this creation ordinal have been returned in this round.</summary>
    [JsonPropertyName("o")]
    public long After { get; init; }

    /// <summary>Set when the group at <see cref="After"/> was cut off: its members up to this sequence were sent.</summary>
    [JsonPropertyName("m")]
    public long? MemberAfter { get; init; }

    [JsonPropertyName("n")]
    public int? PageSize { get; init; }

    /// <summary>The round's leading empty page has been sent (see <c>StartRoundsWithEmptyPage</c>).</summary>
    [JsonPropertyName("e")]
    public bool EmptyPageSent { get; init; }

    /// <summary>Issue time, Unix milliseconds; delta tokens expire after the configured lifetime.</summary>
    [JsonPropertyName("t")]
    public long Issued { get; init; }

    /// <summary>Tokens from before an "expire all tokens" switch carry an older generation.</summary>
    [JsonPropertyName("g")]
    public int Generation { get; init; }
}
