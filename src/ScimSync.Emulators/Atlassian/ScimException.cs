namespace ScimSync.Emulators.Atlassian;

/// <summary>
/// A request the emulator refuses, answered as a SCIM error body (atlassian-scim-api.md §10), or, for the PUT group
/// "users referenced do not exist" case, as Atlassian's Java-exception-shaped body.
/// </summary>
internal sealed class ScimException : Exception
{
    public ScimException(int status, string? scimType, string detail, bool javaExceptionBody = false)
        : base(detail)
    {
        Status = status;
        ScimType = scimType;
        JavaExceptionBody = javaExceptionBody;
    }

    public int Status { get; }

    public string? ScimType { get; }

    public bool JavaExceptionBody { get; }

    public static ScimException InvalidValue(string detail) => new(400, "invalidValue", detail);

    public static ScimException InvalidSyntax(string detail) => new(400, "invalidSyntax", detail);

    public static ScimException InvalidPath(string detail) => new(400, "invalidPath", detail);

    public static ScimException InvalidFilter(string detail) => new(400, "invalidFilter", detail);

    public static ScimException Mutability(string detail) => new(400, "mutability", detail);

    public static ScimException NoTarget(string detail) => new(400, "noTarget", detail);

    public static ScimException Uniqueness(string detail) => new(409, "uniqueness", detail);

    public static ScimException NotFound(string detail) => new(404, null, detail);
}
