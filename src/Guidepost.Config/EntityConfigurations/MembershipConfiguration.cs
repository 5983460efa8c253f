using Guidepost.Config.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guidepost.Config.EntityConfigurations;

internal sealed class MembershipConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> builder)
    {
        builder.HasKey(m => new { m.UserId, m.SubscriptionId });
        builder.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<Subscription>().WithMany().HasForeignKey(m => m.SubscriptionId);
    }
}
