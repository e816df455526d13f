using System.Text.Json.Serialization;

namespace ScimSync.Core.Scoping;

/// <summary>Which directory objects a job considers before scoping filters.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ScopeMode>))]
public enum ScopeMode
{
    /// <summary>Users and groups assigned to the enterprise app (service principal), plus members of assigned groups.</summary>
    Assigned,

    /// <summary>The groups listed by id, and their members.</summary>
    Groups,

    /// <summary>Every user and group in the tenant.</summary>
    All,
}
