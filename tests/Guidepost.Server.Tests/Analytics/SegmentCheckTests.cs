using System.Net;
using System.Net.Http.Json;
using Guidepost.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Guidepost.Server.Tests.Analytics;

/// <summary>The per-visitor segment check guide delivery makes on every request: answered from a kept member set,
/// recounted in the background once the set is old, never making a request wait for a recount.</summary>
public sealed class SegmentCheckTests : IAsyncLifetime
{
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
    private TestInstallation _gp = null!;

    public async Task InitializeAsync() =>
        _gp = await TestInstallation.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(_time)));

    public async Task DisposeAsync() => await _gp.DisposeAsync();

    private sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    [Fact]
    public async Task An_old_member_set_still_answers_while_it_is_recounted_then_the_recount_answers()
    {
        var segment = (await (await _gp.Admin.PostJsonAsync("/api/v1/segment", new { name = "Pro", rules = new { field = "custom.plan", value = "pro" } }))
            .ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        async Task SetPlanAsync(string plan) =>
            (await _gp.Admin.PutAsync("/api/v1/metadata/visitor/custom/value/visitor-1/plan", JsonContent.Create(plan))).StatusCode.ShouldBe(HttpStatusCode.OK);
        async Task<bool> MemberAsync() =>
            (await (await _gp.Admin.GetAsync($"/api/v1/segment/{segment}/visitor/visitor-1")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("member").GetBoolean();

        await SetPlanAsync("pro");
        (await MemberAsync()).ShouldBeTrue(); // the first check of a segment waits for its count
        await SetPlanAsync("free");
        (await MemberAsync()).ShouldBeTrue(); // kept

        _time.Advance(TimeSpan.FromSeconds(11));
        (await MemberAsync()).ShouldBeTrue(); // the old set answers; a recount starts
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await MemberAsync())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the recount never replaced the old set");
            await Task.Delay(50);
        }
    }
}
