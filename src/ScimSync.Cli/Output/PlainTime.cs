using System.Globalization;

namespace ScimSync.Cli.Output;

/// <summary>Times and durations as people read them on a status page: "12:40 UTC (in 5 h 20 min)".</summary>
public static class PlainTime
{
    public static string Duration(TimeSpan span)
    {
        span = span.Duration();
        if (span < TimeSpan.FromSeconds(1))
        {
            return $"{span.TotalMilliseconds:0} ms";
        }

        if (span < TimeSpan.FromMinutes(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0} s");
        }

        if (span < TimeSpan.FromHours(1))
        {
            return $"{span.Minutes} min {span.Seconds} s";
        }

        return span < TimeSpan.FromDays(1) ? $"{(int)span.TotalHours} h {span.Minutes} min" : $"{(int)span.TotalDays} d {span.Hours} h";
    }

    public static string At(DateTimeOffset time, DateTimeOffset now)
    {
        var text = time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
        var delta = time - now;
        return delta >= TimeSpan.Zero ? $"{text} (in {Duration(delta)})" : $"{text} ({Duration(delta)} ago)";
    }
}
