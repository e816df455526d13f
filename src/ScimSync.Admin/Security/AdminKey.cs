using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ScimSync.Admin.Security;

/// <summary>
/// The admin key of <c>scimsync run</c>, and what a browser gets in exchange for it: a session cookie value and a
/// form token. Both are derived from the key with HMAC, so the key itself never sits in a cookie or a page, and a
/// restart (or a second instance with the same key) accepts sessions it did not issue. Every comparison takes the
/// same time whatever the input, so timing tells an attacker nothing about how much of a guess was right.
/// </summary>
public sealed class AdminKey
{
    private readonly byte[] _keyHash;
    private readonly string _sessionValue;
    private readonly string _formToken;

    public AdminKey(IOptions<AdminServerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var key = options.Value.Key?.Trim();
        if (string.IsNullOrEmpty(key))
        {
            throw new InvalidOperationException($"{AdminServerOptions.SectionName}:Key is not set; the admin server cannot check requests without it.");
        }

        var keyBytes = Encoding.UTF8.GetBytes(key);
        _keyHash = SHA256.HashData(keyBytes);
        _sessionValue = Derive(keyBytes, "scimsync-admin-session-v1");
        _formToken = Derive(keyBytes, "scimsync-admin-form-v1");
    }

    /// <summary>The token the status page puts in its forms; a form post without it is refused.</summary>
    public string FormToken => _formToken;

    /// <summary>The value of the session cookie set by a successful sign-in.</summary>
    public string SessionValue => _sessionValue;

    /// <summary>Whether <paramref name="presented"/> is the admin key.</summary>
    public bool IsKey(string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented.Trim())), _keyHash);

    /// <summary>Whether <paramref name="presented"/> is the session cookie value.</summary>
    public bool IsSession(string? presented) => SameText(presented, _sessionValue);

    /// <summary>Whether <paramref name="presented"/> is the form token.</summary>
    public bool IsFormToken(string? presented) => SameText(presented, _formToken);

    // Hashing both sides first makes the comparison length-independent as well.
    private static bool SameText(string? presented, string expected) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static string Derive(byte[] key, string purpose) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(purpose)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
