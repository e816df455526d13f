using System.Security.Cryptography;
using static ScimSync.Core.Mapping.Expressions.ValueConversion;

namespace ScimSync.Core.Mapping.Expressions;

/// <summary>Functions that make up new values each time they run; map them "onCreate" so they do not change on every cycle.</summary>
internal static class GeneratorFunctions
{
    public const int MaxRandomStringLength = 256;

    private const string Digits = "0123456789";
    private const string Specials = "!#$%&()*+,-./:;<=>?@[]^_{|}~";
    private const string Capitals = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Lowers = "abcdefghijklmnopqrstuvwxyz";

    public static IEnumerable<ExpressionFunction> All =>
    [
        new("Guid", 0, 0, "Guid()", _ => ExpressionValue.FromString(System.Guid.NewGuid().ToString())),
        new("RandomString", 1, 6, "RandomString(length, minimumNumbers, minimumSpecialCharacters, minimumCapital, minimumLowerCase, charactersToAvoid)", RandomString),
    ];

    private static ExpressionValue RandomString(CallArguments args)
    {
        var length = Integer(args, 0, "length", 0);
        var minimums = new[]
        {
            Integer(args, 1, "minimumNumbers", 0),
            Integer(args, 2, "minimumSpecialCharacters", 0),
            Integer(args, 3, "minimumCapital", 0),
            Integer(args, 4, "minimumLowerCase", 0),
        };
        var avoid = Text(args, 5) ?? string.Empty;

        if (length is < 1 or > MaxRandomStringLength)
        {
            throw args.Error($"length must be between 1 and {MaxRandomStringLength}, not {length}");
        }

        if (minimums.Any(m => m < 0) || minimums.Sum() > length)
        {
            throw args.Error($"the minimum counts ({string.Join(", ", minimums)}) must not be negative and must add up to at most the length {length}");
        }

        var pools = new[] { Digits, Specials, Capitals, Lowers }
            .Select(pool => new string(pool.Where(c => !avoid.Contains(c, StringComparison.Ordinal)).ToArray()))
            .ToArray();
        for (var i = 0; i < pools.Length; i++)
        {
            if (minimums[i] > 0 && pools[i].Length == 0)
            {
                throw args.Error("charactersToAvoid excludes every character of a class that has a minimum count");
            }
        }

        var any = string.Concat(pools);
        if (any.Length == 0)
        {
            throw args.Error("charactersToAvoid excludes every character");
        }

        var chars = new List<char>(length);
        for (var i = 0; i < pools.Length; i++)
        {
            for (var n = 0; n < minimums[i]; n++)
            {
                chars.Add(pools[i][RandomNumberGenerator.GetInt32(pools[i].Length)]);
            }
        }

        while (chars.Count < length)
        {
            chars.Add(any[RandomNumberGenerator.GetInt32(any.Length)]);
        }

        var result = chars.ToArray();
        RandomNumberGenerator.Shuffle(result.AsSpan());
        return ExpressionValue.FromString(new string(result));
    }
}
