using System.Text.Json;
using System.Text.Json.Serialization;
using ScimSync.Emulators.Graph.Delta;
using ScimSync.Emulators.Graph.Seeding;

namespace ScimSync.Emulators.Graph;

/// <summary>Source-generated serialization for the seed file, the opaque paging tokens and simple values.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(DirectorySeed))]
[JsonSerializable(typeof(DeltaState))]
[JsonSerializable(typeof(PageState))]
internal sealed partial class GraphJsonContext : JsonSerializerContext;
