using System.Text.Json.Serialization;

namespace ScimSync.Core.Mapping;

/// <summary>Reads and writes the mapping parts of a job file.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(JobMappingsConfiguration))]
[JsonSerializable(typeof(AttributeMapping))]
[JsonSerializable(typeof(string))]
public sealed partial class MappingJsonContext : JsonSerializerContext;
