using Guidepost.Core.Tenancy;

namespace Guidepost.Config.Entities;

/// <summary>A user's role in one subscription.</summary>
public sealed class Membership
{
    public Guid UserId { get; set; }
    public long SubscriptionId { get; set; }
    public Role Role { get; set; }
}
