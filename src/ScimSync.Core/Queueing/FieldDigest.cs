using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ScimSync.Core.Queueing;

/// <summary>
/// SHA-256 of length-prefixed fields (<c>length:field\n</c>, the length in UTF-16 code units, the text as UTF-8),
/// hashed as they are appended instead of first joined into one string.
/// </summary>
internal sealed class FieldDigest : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>Appends one field made of <paramref name="parts"/>, as if they were one string.</summary>
    public void Append(params ReadOnlySpan<string> parts)
    {
        var length = 0;
        foreach (var part in parts)
        {
            length += part.Length;
        }

        Write(length.ToString(CultureInfo.InvariantCulture));
        Write(":");
        foreach (var part in parts)
        {
            Write(part);
        }

        Write("\n");
    }

    /// <summary>The digest of everything appended.</summary>
    public byte[] Hash() => _hash.GetHashAndReset();

    public void Dispose() => _hash.Dispose();

    private void Write(string text)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            _hash.AppendData(buffer, 0, Encoding.UTF8.GetBytes(text, buffer));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
