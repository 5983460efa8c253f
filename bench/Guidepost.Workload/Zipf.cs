namespace Guidepost.Workload;

/// <summary>Draws ranks 0..n-1 with probability proportional to 1/(rank+1)^s, by binary search over the
/// cumulative distribution.</summary>
internal sealed class Zipf
{
    private readonly double[] _cumulative;

    public Zipf(int n, double exponent)
    {
        _cumulative = new double[n];
        var sum = 0.0;
        for (var rank = 0; rank < n; rank++) _cumulative[rank] = sum += 1 / Math.Pow(rank + 1, exponent);
        for (var rank = 0; rank < n; rank++) _cumulative[rank] /= sum;
    }

    public int Next(Random random)
    {
        var index = Array.BinarySearch(_cumulative, random.NextDouble());
        return Math.Min(index < 0 ? ~index : index, _cumulative.Length - 1);
    }
}
