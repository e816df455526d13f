using System.Text.Json.Serialization;

namespace ScimSync.Core.Mapping;

/// <summary>Where a mapping's value comes from.</summary>
public enum MappingKind
{
    /// <summary>Copied from one source attribute.</summary>
    [JsonStringEnumMemberName("direct")]
    Direct,

    /// <summary>A fixed text.</summary>
    [JsonStringEnumMemberName("constant")]
    Constant,

    /// <summary>The result of an expression.</summary>
    [JsonStringEnumMemberName("expression")]
    Expression,
}
