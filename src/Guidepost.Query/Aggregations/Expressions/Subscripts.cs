namespace Guidepost.Query.Aggregations.Expressions;

/// <summary><c>x[i]</c>, <c>x[a:b]</c> and <c>x.name</c> on values that are not the row itself. Strings
/// index and slice by UTF-16 code unit, as <c>len</c> counts them.</summary>
internal static class Subscripts
{
    /// <summary><c>target[position]</c>: a list element or one-character string; negative positions count
    /// from the end; out of range or a null operand → null. An object takes a string key.</summary>
    public static object? At(object? target, object? position)
    {
        if (target is null || position is null) return null;
        if (target is Row row)
        {
            if (position is not string key) throw new ExpressionException($"'[]' on an object expects a string key, got {Values.TypeName(position)}");
            return row.GetValueOrDefault(key);
        }
        var length = target switch
        {
            List<object?> list => list.Count,
            string text => text.Length,
            _ => throw new ExpressionException($"'[]' expects a list, string or object, got {Values.TypeName(target)}"),
        };
        var index = WholeNumber(position, "'[]'");
        if (index < 0) index += length;
        if (index < 0 || index >= length) return null;
        return target is List<object?> items ? items[(int)index] : ((string)target)[(int)index].ToString();
    }

    /// <summary><c>target[start:end]</c>, end exclusive; negative bounds count from the end and bounds past
    /// either end are clamped (Python's rule), so <c>list[-2:]</c> is the last two elements of any list
    /// and <c>list[5:9]</c> of a short list is empty. A null target or bound → null.</summary>
    public static object? Range(object? target, object? start, object? end, bool hasStart, bool hasEnd)
    {
        if (target is null || (hasStart && start is null) || (hasEnd && end is null)) return null;
        var length = target switch
        {
            List<object?> list => list.Count,
            string text => text.Length,
            _ => throw new ExpressionException($"'[:]' expects a list or string, got {Values.TypeName(target)}"),
        };
        var from = hasStart ? Clamp(WholeNumber(start, "'[:]'"), length) : 0;
        var to = hasEnd ? Clamp(WholeNumber(end, "'[:]'"), length) : length;
        if (to < from) to = from;
        return target is List<object?> items ? items.GetRange(from, to - from) : ((string)target)[from..to];
    }

    /// <summary><c>target.name</c> after an index or on map's variable; a missing member or null target
    /// → null.</summary>
    public static object? MemberOf(object? target, string name) => target switch
    {
        Row row => row.GetValueOrDefault(name),
        null => null,
        _ => throw new ExpressionException($"'.{name}' reads a member of an object, got {Values.TypeName(target)}"),
    };

    private static int Clamp(long bound, int length)
    {
        if (bound < 0) bound += length;
        return (int)Math.Clamp(bound, 0, length);
    }

    private static long WholeNumber(object? value, string op)
    {
        if (value is not double number) throw new ExpressionException($"{op} expects a number as index, got {Values.TypeName(value)}");
        if (number != Math.Truncate(number)) throw new ExpressionException($"{op} expects a whole number as index, got {Values.FormatNumber(number)}");
        return (long)Math.Clamp(number, int.MinValue, int.MaxValue);
    }
}
