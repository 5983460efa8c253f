using Guidepost.Config.Entities;
using Guidepost.Core.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Guidepost.Config.Tenancy;

/// <summary>People: accounts, their roles per subscription, and password login with lockout.</summary>
public sealed class UserService(ConfigDbContext db, TimeProvider time, IPasswordHasher<User> hasher)
{
    public const int MinPasswordLength = 8;
    public const int MaxFailedLogins = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(5);

    /// <summary>Creates a user with a role in one subscription; null when the username is taken.</summary>
    public async Task<User?> CreateAsync(
        string username, string password, long subscriptionId, Role role, bool isInstanceAdmin, CancellationToken cancellationToken)
    {
        var normalized = Normalize(username);
        if (await db.Users.AnyAsync(u => u.Username == normalized, cancellationToken)) return null;

        var user = new User
        {
            Id = Guid.NewGuid(),
            Username = normalized,
            PasswordHash = "",
            IsInstanceAdmin = isInstanceAdmin,
            CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        user.PasswordHash = hasher.HashPassword(user, password);
        user.Memberships.Add(new Membership { UserId = user.Id, SubscriptionId = subscriptionId, Role = role });
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (await db.Users.AnyAsync(u => u.Username == normalized, CancellationToken.None)) return null; // lost a race for the name
            throw;
        }
        return user;
    }

    /// <summary>The members of one subscription with their role there.</summary>
    public async Task<List<(User User, Role Role)>> ListMembersAsync(long subscriptionId, CancellationToken cancellationToken)
    {
        var rows = await db.Memberships.AsNoTracking()
            .Where(m => m.SubscriptionId == subscriptionId)
            .Join(db.Users.AsNoTracking(), m => m.UserId, u => u.Id, (m, u) => new { User = u, m.Role })
            .OrderBy(r => r.User.Username)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.User, r.Role))];
    }

    public Task<User?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking().Include(u => u.Memberships).FirstOrDefaultAsync(u => u.Id == id, cancellationToken);

    /// <summary>Checks a password. Five failures in a row lock the account for five minutes, so passwords
    /// cannot be guessed online.</summary>
    public async Task<LoginOutcome> LoginAsync(string username, string password, CancellationToken cancellationToken)
    {
        var normalized = Normalize(username);
        var user = await db.Users.Include(u => u.Memberships).FirstOrDefaultAsync(u => u.Username == normalized, cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (user is null)
        {
            // Hash anyway so response time does not reveal which usernames exist.
            hasher.HashPassword(new User { Username = normalized, PasswordHash = "" }, password);
            return new LoginOutcome(LoginStatus.WrongCredentials, null);
        }
        if (user.LockedUntil > now) return new LoginOutcome(LoginStatus.LockedOut, null);

        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            user.FailedLogins++;
            if (user.FailedLogins >= MaxFailedLogins)
            {
                user.LockedUntil = now + (long)LockoutDuration.TotalMilliseconds;
                user.FailedLogins = 0;
            }
            await db.SaveChangesAsync(cancellationToken);
            return new LoginOutcome(LoginStatus.WrongCredentials, null);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded) user.PasswordHash = hasher.HashPassword(user, password);
        user.FailedLogins = 0;
        user.LockedUntil = null;
        user.LastLoginAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return new LoginOutcome(LoginStatus.Succeeded, user);
    }

    private static string Normalize(string username) => username.Trim().ToLowerInvariant();
}

public enum LoginStatus
{
    Succeeded,
    WrongCredentials,
    LockedOut,
}

public sealed record LoginOutcome(LoginStatus Status, User? User);
