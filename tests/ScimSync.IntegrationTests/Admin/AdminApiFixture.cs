namespace ScimSync.IntegrationTests.Admin;

/// <summary><c>scimsync run</c> with its admin server, for the API tests: a fast target.</summary>
public sealed class AdminApiFixture : AdminRunFixture;

[CollectionDefinition(Name)]
public sealed class AdminApiCollection : ICollectionFixture<AdminApiFixture>
{
    public const string Name = "AdminApi";
}
