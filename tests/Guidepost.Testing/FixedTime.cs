namespace Guidepost.Testing;

/// <summary>A clock that stays at one instant, for answers that depend on "now".</summary>
public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
