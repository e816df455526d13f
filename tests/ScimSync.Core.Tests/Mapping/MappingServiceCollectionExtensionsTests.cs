using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Mapping;
using static ScimSync.Core.Tests.Mapping.MappingTestData;

namespace ScimSync.Core.Tests.Mapping;

public sealed class MappingServiceCollectionExtensionsTests
{
    [Fact]
    public void The_engine_uses_the_registered_clock_and_the_validator_the_registered_catalog()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        using var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton(SourceAttributeCatalog.Default.With(ObjectKind.User, "costCenter"))
            .AddScimSyncMapping()
            .BuildServiceProvider();

        var mappings = services.GetRequiredService<MappingValidator>().Validate(new JobId("job"), 0, DefaultMappings.AtlassianCloud, new JobMappingsConfiguration
        {
            Users = [AttributeMapping.FromExpression("Join(\" \", [costCenter], CStr(Now()))", "nickName")],
        }).GetMappingsOrThrow();
        var result = services.GetRequiredService<MappingEngine>().Map(User("""{"userPrincipalName":"a@contoso.com","costCenter":"CC1"}"""), mappings, isCreate: true);

        Assert.Equal("CC1 1/2/2030 3:04:05 AM", result.Attributes["nickName"]!.Value.GetString());
    }
}
