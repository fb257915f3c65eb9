using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Retab.Runs.Cli.Api;

namespace Retab.Runs.Cli.Commands;

/// <summary>
/// <c>files upload PATH</c>: the one-step multipart upload (<c>POST /v1/files</c>, field <c>file</c>); the service sniffs
/// the type from the bytes, so no content type is sent. The answer names the file as a test input takes it.
/// </summary>
public static class FilesCommands
{
    public static Command Build(CommandKit kit)
    {
        var path = new Argument<string>("PATH") { Description = "The file to upload (PDF, image, text)" };
        var json = CommandKit.JsonOption();
        var upload = new Command("upload", "Upload a file for tests of document blocks") { path, json };
        upload.SetAction(async parse =>
        {
            var filePath = parse.GetValue(path)!;
            if (!File.Exists(filePath))
                throw new CliException($"No file {filePath}.");
            using var client = kit.Connect(parse);
            await using var stream = File.OpenRead(filePath);
            using var content = new MultipartFormDataContent();
            var bytes = new StreamContent(stream);
            bytes.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(bytes, "file", Path.GetFileName(filePath));
            var file = await client.PostAsync("v1/files", content, CancellationToken.None);
            return kit.Print(parse.GetValue(json), file, answer => CommandKit.Details(
                ("id", answer.Str("id")), ("filename", answer.Str("filename")), ("mime type", answer.Str("mime_type")),
                ("test input", new JsonObject
                {
                    ["type"] = "file",
                    ["document"] = new JsonObject { ["id"] = answer.Str("id"), ["filename"] = answer.Str("filename"), ["mime_type"] = answer.Str("mime_type") },
                }.ToJsonString())));
        });
        var files = new Command("files", "Upload documents");
        files.Subcommands.Add(upload);
        return files;
    }
}
