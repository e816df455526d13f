using System.Text.Json.Serialization;

namespace ScimSync.Core.Mapping;

/// <summary>When a mapping flows: Entra's "Apply this mapping".</summary>
public enum MappingApply
{
    /// <summary>On create and on every update.</summary>
    [JsonStringEnumMemberName("always")]
    Always,

    /// <summary>Only when the object is created in the target.</summary>
    [JsonStringEnumMemberName("onCreate")]
    OnCreate,
}
