using Guidepost.Guides.Content;
using System.Collections.Concurrent;
using System.Text.Json;
using Guidepost.Config;
using Guidepost.Config.Entities;
using Guidepost.Config.Entities.Guides;
using Guidepost.Config.Entities.Tags;
using Guidepost.Config.Tenancy;
using Guidepost.Guides.Authoring;
using Guidepost.Query.Reports;
using Guidepost.Query.Segments;
using Guidepost.Tagging.Catalog;
using Guidepost.Tagging.Matching;
using Guidepost.Tagging.Rules;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Guidepost.Guides.Delivery;

/// <summary>An application and the guides it delivers.</summary>
internal sealed record ApplicationGuides(Application Application, IReadOnlyList<DeliverableGuide> Guides);

/// <summary>Each application's deliverable guides, kept between requests: built again after any write to the
/// config store in this process, and at least every few seconds (for writes by another server node).</summary>
public sealed class GuideLibrary(IServiceScopeFactory scopes, ConfigChanges changes, TimeProvider time, ILogger<GuideLibrary> logger)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private const int MaxKept = 10_000;
    private readonly ConcurrentDictionary<string, (long Version, long ReadAt, Task<ApplicationGuides?> Guides)> _kept = new(StringComparer.Ordinal);

    /// <summary>The application with this API key and its guides, or null when no application has the key.</summary>
    /// <remarks>After a write in this process the caller waits for the new build; when the kept build is only
    /// old, it is answered at once while a new one is made for the next requests.</remarks>
    internal async Task<ApplicationGuides?> FindAsync(string apiKey, CancellationToken cancellationToken)
    {
        var version = changes.Version;
        if (_kept.TryGetValue(apiKey, out var kept) && kept.Version == version && !kept.Guides.IsFaulted)
        {
            if (time.GetElapsedTime(kept.ReadAt) >= MaxAge && kept.Guides.IsCompletedSuccessfully
                && _kept.TryUpdate(apiKey, (version, time.GetTimestamp(), BuildAsync(apiKey)), kept))
                return kept.Guides.Result;
            return await kept.Guides.WaitAsync(cancellationToken);
        }
        var fresh = (version, time.GetTimestamp(), BuildAsync(apiKey));
        if (_kept.Count >= MaxKept) _kept.Clear(); // unknown keys are kept too; guesses must not grow it without bound
        _kept[apiKey] = fresh;
        return await fresh.Item3.WaitAsync(cancellationToken);
    }

    /// <summary>A delivered step's content in a language (a two-letter code), or null when there is no such step.</summary>
    public async Task<GuideStepContent?> FindContentAsync(string apiKey, string guideId, string stepId, string language, CancellationToken cancellationToken)
    {
        if (!GuideLanguages.IsCode(language)) return null;
        var guide = (await FindAsync(apiKey, cancellationToken))?.Guides.FirstOrDefault(g => g.Guide.Id == guideId);
        return guide?.Render(language).Guide?.Steps.FirstOrDefault(s => s.StepId == stepId) is { } step ? new GuideStepContent(step.Json, step.Hash) : null;
    }

    // Not cancelled by one caller: concurrent requests share the build.
    private async Task<ApplicationGuides?> BuildAsync(string apiKey)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var ct = CancellationToken.None;
        var application = await services.GetRequiredService<SubscriptionService>().FindApplicationByApiKeyAsync(apiKey, ct);
        if (application is null) return null;
        var catalog = services.GetRequiredService<GuideCatalog>();
        var subscription = application.SubscriptionId;
        var assets = await catalog.AssetsAsync(subscription, ct);
        var guides = new List<DeliverableGuide>();
        foreach (var guide in await catalog.ListAsync(subscription, application.Id, ct))
        {
            if (guide.State is not (GuideState.Staged or GuideState.Public) || guide.DeliveredVersion is not { } number) continue;
            var version = await catalog.FindVersionAsync(subscription, guide.Id, number, ct);
            if (version is null) continue;
            try
            {
                guides.Add(await CompileAsync(services, guide, version, assets, ct));
            }
            catch (GuideDeliveryException e)
            {
                // A guide whose segment or page was deleted after publishing is left out rather than shown to everyone.
                logger.LogWarning("Guide {GuideId} is not delivered: {Problem}", guide.Id, e.Message);
            }
        }
        return new ApplicationGuides(application, guides);
    }

    private static async Task<DeliverableGuide> CompileAsync(
        IServiceProvider services, Guide guide, GuideVersion version, GuideAssetSet assets, CancellationToken ct)
    {
        var errors = new List<ContentError>();
        using var json = JsonDocument.Parse(version.Definition);
        var definition = GuideDefinition.Parse(json.RootElement, errors);
        if (definition is null || errors.Count > 0) throw new GuideDeliveryException($"its definition is invalid: {string.Join("; ", errors)}");
        CompiledSegment? segment = null;
        if (definition.SegmentId is { } segmentId)
        {
            try
            {
                segment = await SegmentCatalog.CompileAsync(guide.SubscriptionId, segmentId, services.GetRequiredService<AnalyticsCatalog>(),
                    services.GetRequiredService<TagCatalog>(), services.GetRequiredService<TagMatcher>(), ct);
            }
            catch (ReportException e)
            {
                throw new GuideDeliveryException(e.Message);
            }
        }
        var steps = new List<DeliverableStep>();
        foreach (var step in definition.Steps)
        {
            string? regex = null;
            if (step.PageRule is { } rule) regex = PageRule.Parse(rule).JsPattern;
            else if (step.PageId is { } pageId)
            {
                var page = await services.GetRequiredService<TagCatalog>().FindAsync<Page>(guide.SubscriptionId, pageId, ct)
                    ?? throw new GuideDeliveryException($"step {step.Id} names page '{pageId}', which no longer exists");
                regex = string.Join("|", page.Rules.Select(r => $"(?:{PageRule.Parse(r).JsPattern})"));
            }
            steps.Add(new DeliverableStep(step, regex));
        }
        return new DeliverableGuide(guide, version, definition, segment, steps, new StepContentSource(assets.ThemeOf(definition), assets.Layouts));
    }
}

/// <summary>A step's building-block tree as JSON text, and the hash its URL carries.</summary>
public sealed record GuideStepContent(string Json, string Hash);

internal sealed class GuideDeliveryException(string message) : Exception(message);
