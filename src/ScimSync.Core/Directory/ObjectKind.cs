namespace ScimSync.Core.Directory;

/// <summary>The kinds of directory object ScimSync provisions.</summary>
public enum ObjectKind
{
    User,
    Group,
}
