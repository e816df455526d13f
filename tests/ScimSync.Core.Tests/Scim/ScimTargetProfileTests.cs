using ScimSync.Core.Scim;
using ScimSync.Core.Scim.Profiles;
using static ScimSync.Core.Tests.Scim.ScimTestData;

namespace ScimSync.Core.Tests.Scim;

public sealed class ScimTargetProfileTests
{
    private static readonly ScimProfileRegistry Registry = new();

    private static ScimTargetOptions Target(params string[] verifiedDomains) => new()
    {
        BaseUrl = new Uri("https://api.atlassian.com/scim/directory/d1"),
        TokenSetting = "AtlassianScimToken",
        VerifiedDomains = verifiedDomains.ToList(),
    };

    [Fact]
    public void Atlassian_skips_a_user_outside_the_verified_domains_with_reason_InvalidDomain()
    {
        var user = Attributes(("userName", "\"contractor@gmail.com\""), ("emails[type eq \"work\"].value", "\"contractor@gmail.com\""));

        var decision = ScimTargetProfiles.AtlassianCloud.DecideUserWrite(user, Target("example.com"));

        Assert.False(decision.Proceed);
        Assert.Equal(ScimProfileDecision.InvalidDomain, decision.ReasonCode);
        Assert.Contains("contractor@gmail.com", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("allowExternalUsers", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Atlassian_skips_a_user_whose_email_is_external_even_when_the_user_name_is_verified()
    {
        var user = Attributes(("userName", "\"ada@example.com\""), ("emails[type eq \"work\"].value", "\"ada@partner.org\""));

        Assert.False(ScimTargetProfiles.AtlassianCloud.DecideUserWrite(user, Target("example.com")).Proceed);
    }

    [Fact]
    public void Atlassian_sends_users_on_verified_domains_ignoring_case()
    {
        var user = Attributes(("userName", "\"Ada@Example.COM\""), ("emails[type eq \"work\"].value", "\"ada@example.com\""));

        Assert.True(ScimTargetProfiles.AtlassianCloud.DecideUserWrite(user, Target("example.com")).Proceed);
    }

    [Fact]
    public void Atlassian_sends_external_users_when_the_job_allows_them()
    {
        var user = Attributes(("userName", "\"contractor@gmail.com\""));
        var target = Target("example.com");
        target.AllowExternalUsers = true;

        Assert.True(ScimTargetProfiles.AtlassianCloud.DecideUserWrite(user, target).Proceed);
    }

    [Fact]
    public void Generic_scim_does_not_restrict_domains()
    {
        var user = Attributes(("userName", "\"contractor@gmail.com\""));

        Assert.True(ScimTargetProfiles.GenericScim.DecideUserWrite(user, Target()).Proceed);
    }

    [Fact]
    public void Atlassian_skips_group_renames_and_says_how_to_rename()
    {
        var decision = ScimTargetProfiles.AtlassianCloud.DecideGroupRename("Engineering", "Engineering EU");

        Assert.False(decision.Proceed);
        Assert.Equal(ScimProfileDecision.GroupRenameNotSupported, decision.ReasonCode);
        Assert.Contains("create a new group", decision.Reason, StringComparison.Ordinal);
        Assert.True(ScimTargetProfiles.GenericScim.DecideGroupRename("Engineering", "Engineering EU").Proceed);
    }

    [Fact]
    public void Atlassian_refuses_groups_above_35000_members()
    {
        Assert.True(ScimTargetProfiles.AtlassianCloud.DecideGroupSize(35_000).Proceed);
        Assert.Equal(ScimProfileDecision.GroupMemberLimitExceeded, ScimTargetProfiles.AtlassianCloud.DecideGroupSize(35_001).ReasonCode);
    }

    [Fact]
    public void Deprovisioning_disables_unless_the_job_asks_for_delete()
    {
        Assert.Equal(ScimDeprovisionAction.Disable, ScimTargetProfiles.AtlassianCloud.DeprovisionActionFor(jobRequestsDelete: false));
        Assert.Equal(ScimDeprovisionAction.Delete, ScimTargetProfiles.AtlassianCloud.DeprovisionActionFor(jobRequestsDelete: true));
        Assert.True(ScimTargetProfiles.AtlassianCloud.DeleteIsIrreversible);
    }

    [Fact]
    public void The_registry_finds_profiles_by_name_and_names_the_known_ones_for_an_unknown_name()
    {
        Assert.Same(ScimTargetProfiles.AtlassianCloud, Registry.Get("Atlassian-Cloud"));
        var error = Assert.Throws<KeyNotFoundException>(() => Registry.Get("okta"));
        Assert.Contains("atlassian-cloud, generic-scim", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_atlassian_target_has_no_errors()
    {
        Assert.Empty(Target("example.com").Validate("jobs[0].target", Registry));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1001)]
    public void A_read_back_share_out_of_range_is_rejected_with_the_setting_path(int every)
    {
        var target = Target("example.com");
        target.ReadBackEvery = every;

        Assert.Contains(target.Validate("jobs[0].target", Registry), error => error.StartsWith("jobs[0].target.readBackEvery:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://api.atlassian.com/scim/directory/d1", false, "jobs[0].target.baseUrl: 'http://api.atlassian.com/scim/directory/d1' must use https")]
    [InlineData("http://127.0.0.1:8080/scim", false, "set allowInsecureLoopback to true")]
    [InlineData("http://scim.example.com/scim", true, "allowInsecureLoopback only permits")]
    [InlineData("ftp://example.com/scim", true, "must use https")]
    [Trait("Category", "Reliability")]
    public void Insecure_base_urls_are_rejected_with_the_setting_path(string url, bool allowInsecureLoopback, string expected)
    {
        var target = Target("example.com");
        target.BaseUrl = new Uri(url);
        target.AllowInsecureLoopback = allowInsecureLoopback;

        Assert.Contains(target.Validate("jobs[0].target", Registry), error => error.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/scim")]
    [InlineData("http://localhost:8080/scim")]
    [InlineData("http://[::1]:8080/scim")]
    public void Plain_http_is_allowed_on_loopback_when_the_job_says_it_is_a_local_test_target(string url)
    {
        var target = Target("example.com");
        target.BaseUrl = new Uri(url);
        target.AllowInsecureLoopback = true;

        Assert.Empty(target.Validate("jobs[0].target", Registry));
    }

    [Fact]
    public void Missing_settings_are_each_named()
    {
        var target = new ScimTargetOptions { Profile = "atlassian-cloud", RequestsPerSecond = 0 };

        var errors = target.Validate("jobs[1].target", Registry);

        Assert.Contains(errors, e => e.StartsWith("jobs[1].target.baseUrl:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("jobs[1].target.tokenSetting:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("jobs[1].target.requestsPerSecond:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("jobs[1].target.verifiedDomains:", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_profile_is_named_with_the_known_ones()
    {
        var target = Target("example.com");
        target.Profile = "okta";

        Assert.Contains(target.Validate("jobs[0].target", Registry), e => e.StartsWith("jobs[0].target.profile: unknown profile 'okta'", StringComparison.Ordinal));
    }
}
