using Microsoft.AspNetCore.Http;
using ScimSync.Admin.Handlers;
using ScimSync.Admin.Page;
using ScimSync.Core.Admin;

namespace ScimSync.Core.Tests.AdminWeb;

public sealed class PageNoticeTests
{
    [Fact]
    public void A_known_action_becomes_a_sentence_with_the_job_and_count()
    {
        var notice = PageNotice.From(Request("?done=AllowDeletes&job=hr&count=12"));

        Assert.Equal("12 held deprovision(s) of job hr were allowed and queued.", notice?.Sentence);
    }

    [Fact]
    public void An_unknown_action_shows_nothing()
    {
        Assert.Null(PageNotice.From(Request("?done=YouHaveBeenHacked&job=hr")));
        Assert.Null(PageNotice.From(Request("?job=hr")));
    }

    [Theory]
    [InlineData(null, RestartScope.Default)]
    [InlineData("", RestartScope.Default)]
    [InlineData("Default", RestartScope.Default)]
    [InlineData("watermark", RestartScope.Watermark)]
    [InlineData("Watermark, Escrows", RestartScope.Watermark | RestartScope.Escrows)]
    [InlineData("Full", RestartScope.Full)]
    public void Restart_scopes_are_read_by_name(string? text, RestartScope expected)
    {
        Assert.Equal(expected, RestartHandler.ParseScope(text));
    }

    [Theory]
    [InlineData("Everything")]
    [InlineData("2")]
    [InlineData("None")]
    public void An_unknown_restart_scope_is_refused(string text)
    {
        Assert.Null(RestartHandler.ParseScope(text));
    }

    private static HttpRequest Request(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        return context.Request;
    }
}
