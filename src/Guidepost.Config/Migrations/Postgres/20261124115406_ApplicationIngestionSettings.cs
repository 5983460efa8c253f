using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guidepost.Config.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ApplicationIngestionSettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ingestion",
                table: "applications",
                type: "jsonb",
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.AddColumn<string>(
                name: "track_secret_hash",
                table: "applications",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_applications_track_secret_hash",
                table: "applications",
                column: "track_secret_hash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_applications_track_secret_hash",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "ingestion",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "track_secret_hash",
                table: "applications");
        }
    }
}
