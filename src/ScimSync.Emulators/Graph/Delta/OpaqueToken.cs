using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ScimSync.Emulators.Graph.Delta;

/// <summary>Packs paging state into a URL-safe string a client can only pass back, and unpacks it.</summary>
internal static class OpaqueToken
{
    public static string Encode<T>(T state, JsonTypeInfo<T> type) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(state, type));

    public static T? Decode<T>(string token, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(Base64Url.DecodeFromChars(token), type);
        }
        catch (Exception error) when (error is FormatException or JsonException)
        {
            return null;
        }
    }
}
