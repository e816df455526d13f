namespace ScimSync.Emulators.Atlassian;

/// <summary>
/// A PATCH path (RFC 7644 §3.5.2): <c>attr</c>, <c>attr.sub</c>, <c>attr[filter]</c> or <c>attr[filter].sub</c>,
/// optionally prefixed by a schema URN, e.g. <c>urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department</c>.
/// </summary>
/// <param name="Schema">The schema URN the attribute belongs to (the resource's core schema when not written).</param>
/// <param name="Attribute">The attribute name, or null when the path is the extension URN itself.</param>
internal sealed record ScimPath(string Schema, string? Attribute, EqualityFilter? Filter, string? SubAttribute)
{
    /// <param name="coreSchema">The resource's core schema, assumed when the path has no URN.</param>
    /// <param name="knownSchemas">Schema URNs a path may start with (the core one included).</param>
    public static ScimPath Parse(string? text, string coreSchema, IReadOnlyList<string> knownSchemas)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw ScimException.InvalidPath("The path is empty.");
        }

        var path = text.Trim();
        var schema = coreSchema;
        if (path.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
        {
            // Longest first, so a URN that prefixes another cannot swallow it.
            var urn = knownSchemas
                .Where(known => path.StartsWith(known, StringComparison.OrdinalIgnoreCase)
                                && (path.Length == known.Length || path[known.Length] == ':'))
                .MaxBy(known => known.Length)
                ?? throw ScimException.InvalidPath($"The path '{text}' names a schema this service does not know.");
            schema = urn;
            if (path.Length == urn.Length)
            {
                return new ScimPath(schema, null, null, null);
            }

            path = path[(urn.Length + 1)..];
        }

        var i = 0;
        var attribute = ReadName(path, ref i, text);
        EqualityFilter? filter = null;
        if (i < path.Length && path[i] == '[')
        {
            var close = ClosingBracket(path, i, text);
            filter = EqualityFilter.Parse(path[(i + 1)..close]);
            i = close + 1;
        }

        string? sub = null;
        if (i < path.Length && path[i] == '.')
        {
            i++;
            sub = ReadName(path, ref i, text);
        }

        return i == path.Length
            ? new ScimPath(schema, attribute, filter, sub)
            : throw ScimException.InvalidPath($"The path '{text}' is not a valid SCIM attribute path.");
    }

    private static string ReadName(string path, ref int i, string original)
    {
        var start = i;
        while (i < path.Length && (char.IsAsciiLetterOrDigit(path[i]) || path[i] is '_' or '-' or '$'))
        {
            i++;
        }

        return i > start && char.IsAsciiLetter(path[start]) || (i > start && path[start] == '$')
            ? path[start..i]
            : throw ScimException.InvalidPath($"The path '{original}' is not a valid SCIM attribute path.");
    }

    private static int ClosingBracket(string path, int open, string original)
    {
        var inString = false;
        for (var i = open + 1; i < path.Length; i++)
        {
            switch (path[i])
            {
                case '\\' when inString:
                    i++;
                    break;
                case '"':
                    inString = !inString;
                    break;
                case ']' when !inString:
                    return i;
            }
        }

        throw ScimException.InvalidPath($"The path '{original}' has an unclosed value filter '['.");
    }
}
