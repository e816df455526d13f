namespace ScimSync.IntegrationTests.Scim;

/// <summary>The client contract against the Atlassian Cloud emulator with the atlassian-cloud profile.</summary>
public sealed class AtlassianClientContractTests(AtlassianEmulatorTarget target)
    : ScimClientContractTests(target), IClassFixture<AtlassianEmulatorTarget>;
