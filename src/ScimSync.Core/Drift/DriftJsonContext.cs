using System.Text.Json.Serialization;

namespace ScimSync.Core.Drift;

// Stored JSON columns. Changing these shapes changes what existing rows mean: add properties, never rename.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DriftScanCounts))]
[JsonSerializable(typeof(List<DriftNotice>))]
internal sealed partial class DriftJsonContext : JsonSerializerContext;
