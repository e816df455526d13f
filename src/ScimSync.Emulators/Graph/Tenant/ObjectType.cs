namespace ScimSync.Emulators.Graph.Tenant;

/// <summary>The two directory object types the emulator serves.</summary>
public enum ObjectType
{
    User,
    Group,
}
