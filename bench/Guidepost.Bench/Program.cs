using Guidepost.Bench;

// Each scenario measures one capability against a baseline in the same run and prints a table.
var scenarios = new Dictionary<string, Func<BenchArgs, Task<string>>>
{
    ["ingest"] = IngestScenario.RunAsync,
    ["analytics"] = AnalyticsScenario.RunAsync,
    ["aggregations"] = AggregationsScenario.RunAsync,
    ["guides"] = GuidesScenario.RunAsync,
    ["agent"] = AgentScenario.RunAsync,
};

if (args.Length == 0 || !scenarios.TryGetValue(args[0], out var scenario))
{
    Console.Error.WriteLine($"usage: dotnet run -c Release --project bench/Guidepost.Bench -- <{string.Join('|', scenarios.Keys)}> [--name value ...]");
    return 2;
}
Console.WriteLine(await scenario(BenchArgs.Parse(args.Skip(1))));
return 0;
