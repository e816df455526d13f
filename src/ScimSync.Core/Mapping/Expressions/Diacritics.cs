using System.Collections.Frozen;
using System.Text;

namespace ScimSync.Core.Mapping.Expressions;

/// <summary>
/// The character table behind NormalizeDiacritics: Latin letters with diacritics become their base letters
/// (ä→a, é→e), and letters without a decomposition get Entra's spelled-out forms (ß→ss, æ→ae, ø→oe, þ→th).
/// A table rather than Unicode normalization, because it has to give the same answer with invariant globalization.
/// </summary>
internal static class Diacritics
{
    private const string Letters =
        "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüý" +
        "þÿĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦħĨĩĪīĬĭĮįİıĲĳĴĵĶķĸĹ" +
        "ĺĻļĽľĿŀŁłŃńŅņŇňŉŊŋŌōŎŏŐőŒœŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŧŨũŪūŬŭŮůŰűŲųŴŵ" +
        "ŶŷŸŹźŻżŽžſƒƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉ" +
        "ȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳ";

    private const string Replacements =
        "A|A|A|A|A|A|AE|C|E|E|E|E|I|I|I|I|D|N|O|O|O|O|O|OE|U|U|U|U|Y|TH|ss|a|a|a|a|a|a|ae|c|e|e|e|e|i|i|i|i|d" +
        "|n|o|o|o|o|o|oe|u|u|u|u|y|th|y|A|a|A|a|A|a|C|c|C|c|C|c|C|c|D|d|D|d|E|e|E|e|E|e|E|e|E|e|G|g|G|g|G|g|G" +
        "|g|H|h|H|h|I|i|I|i|I|i|I|i|I|i|IJ|ij|J|j|K|k|k|L|l|L|l|L|l|L|l|L|l|N|n|N|n|N|n|n|N|n|O|o|O|o|O|o|OE|" +
        "oe|R|r|R|r|R|r|S|s|S|s|S|s|S|s|T|t|T|t|T|t|U|u|U|u|U|u|U|u|U|u|U|u|W|w|Y|y|Y|Z|z|Z|z|Z|z|s|f|O|o|U|u" +
        "|A|a|I|i|O|o|U|u|U|u|U|u|U|u|U|u|A|a|A|a|G|g|K|k|O|o|O|o|j|G|g|N|n|A|a|A|a|A|a|E|e|E|e|I|i|I|i|O|o|O" +
        "|o|R|r|R|r|U|u|U|u|S|s|T|t|H|h|A|a|E|e|O|o|O|o|O|o|O|o|Y|y";

    private static readonly FrozenDictionary<char, string> Table =
        Letters.Zip(Replacements.Split('|')).ToFrozenDictionary(p => p.First, p => p.Second);

    public static string Normalize(string text)
    {
        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            if (Table.TryGetValue(text[i], out var replacement))
            {
                builder ??= new StringBuilder(text.Length + 8).Append(text, 0, i);
                builder.Append(replacement);
            }
            else
            {
                builder?.Append(text[i]);
            }
        }

        return builder?.ToString() ?? text;
    }
}
