using System.Text.Json;
using System.Text.Json.Serialization;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.State.Objects;

namespace ScimSync.Core.State;

// Stored JSON columns. Changing these shapes changes what existing rows mean: add properties, never rename.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JobCounters))]
[JsonSerializable(typeof(CycleSummary))]
[JsonSerializable(typeof(ObjectError))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
