namespace Guidepost.Query.Aggregations.Expressions;

/// <summary>Functions over lists. Each returns a new list; the argument list is never changed.</summary>
internal static class ListFunctions
{
    public static IEnumerable<FunctionSpec> All =>
    [
        new("map", "map(x, list, expr)", 3, 3, null),
        new("len", "len(list|string)", 1, 1, (a, _, f) => a[0] switch
        {
            List<object?> list => (double)list.Count,
            // UTF-16 code units, the unit string indexes and slices count.
            string text => (double)text.Length,
            var other => throw f.TypeError(0, "a list or a string", other),
        }),
        new("list", "list(a, b, …)", 0, int.MaxValue, MakeList, nullPropagates: false),
        new("listInRange", "listInRange(list, min, max)", 3, 3, InRange),
        new("reverse", "reverse(list)", 1, 1, (a, _, f) =>
        {
            var reversed = new List<object?>(f.List(a, 0));
            reversed.Reverse();
            return reversed;
        }),
        new("sortUnique", "sortUnique(list)", 1, 1, SortUnique),
        new("sum", "sum(list)", 1, 1, (a, _, f) =>
        {
            var total = 0d;
            foreach (var item in f.List(a, 0))
                if (item is double d) total += d;
            return total;
        }),
    ];

    /// <summary>Pendo requires the elements of one list to share a type; nulls may sit among any.</summary>
    public static void RequireOneType(List<object?> list, string what)
    {
        object? first = null;
        foreach (var item in list)
        {
            if (item is null) continue;
            if (first is null) first = item;
            else if (item.GetType() != first.GetType())
                throw new ExpressionException($"the elements of {what} must share one type, got {Values.TypeName(first)} and {Values.TypeName(item)}");
        }
    }

    private static object? MakeList(ReadOnlySpan<object?> args, ExpressionContext context, FunctionSpec function)
    {
        var list = new List<object?>(args.Length);
        foreach (var item in args) list.Add(item);
        RequireOneType(list, function.Signature);
        return list;
    }

    /// <summary>The numeric items from min to max, both inclusive, in their order.</summary>
    private static object? InRange(ReadOnlySpan<object?> args, ExpressionContext context, FunctionSpec function)
    {
        var list = function.List(args, 0);
        var min = function.Number(args, 1);
        var max = function.Number(args, 2);
        var result = new List<object?>();
        foreach (var item in list)
            if (item is double d && d >= min && d <= max) result.Add(d);
        return result;
    }

    /// <summary>Sorted by <see cref="Values.Compare"/> with duplicates (by <see cref="Values.AreEqual"/>)
    /// removed.</summary>
    private static object? SortUnique(ReadOnlySpan<object?> args, ExpressionContext context, FunctionSpec function)
    {
        var sorted = new List<object?>(function.List(args, 0));
        sorted.Sort(Values.Compare);
        var unique = new List<object?>(sorted.Count);
        foreach (var item in sorted)
            if (unique.Count == 0 || !Values.AreEqual(unique[^1], item)) unique.Add(item);
        return unique;
    }
}
