using Spectre.Console;
using Spectre.Console.Rendering;

namespace Retab.Runs.Cli.Commands;

/// <summary>Table cells from the service's data, as plain text: a name holding <c>[red]</c> must not be read as markup.</summary>
public static class Cells
{
    public static IRenderable[] Of(params string?[] values) => values.Select(value => (IRenderable)new Text(value ?? "")).ToArray();
}
