using MassTransit;
using Retab.Runs.Messaging;
using Microsoft.Extensions.Options;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Orchestrator.Consumers;

/// <summary>
/// Answers a worker's request for a file's content from the store (workers have no store): page texts, or an image's
/// bytes up to <see cref="OrchestratorOptions.MaxDocumentImageBytes"/>. Only complete files of the asking organization.
/// </summary>
public sealed class GetDocumentContentConsumer(IFileStore files, BoundedPublisher publisher, IOptions<OrchestratorOptions> options) : IConsumer<GetDocumentContent>
{
    public async Task Consume(ConsumeContext<GetDocumentContent> context)
    {
        var request = context.Message;
        var file = await files.GetAsync(request.OrganizationId, request.FileId, context.CancellationToken);
        if (file is not { IsComplete: true, MimeType: { } mimeType })
        {
            await publisher.Respond(context, Unavailable(request, DocumentUnavailable.NotFound, $"File '{request.FileId}' does not exist."));
            return;
        }

        byte[]? image = null;
        if (mimeType.StartsWith("image/", StringComparison.Ordinal))
        {
            var limit = options.Value.MaxDocumentImageBytes;
            if (file.SizeBytes > limit)
            {
                await publisher.Respond(context, Unavailable(request, DocumentUnavailable.ImageTooLarge,
                    $"Image '{file.Filename}' ({file.SizeBytes} bytes) is larger than the {limit} bytes sent to workers (setting Orchestrator:MaxDocumentImageBytes)."));
                return;
            }
            image = await files.ReadContentAsync(file.OrganizationId, file.Id, context.CancellationToken);
        }
        var pages = await files.ReadPageTextsAsync(file.OrganizationId, file.Id, context.CancellationToken) ?? [];
        await publisher.Respond(context, new DocumentContentFound
        {
            OrganizationId = file.OrganizationId,
            FileId = file.Id,
            Filename = file.Filename,
            MimeType = mimeType,
            Pages = pages,
            Image = image,
        });
    }

    private static DocumentUnavailable Unavailable(GetDocumentContent request, string code, string message) => new()
    {
        OrganizationId = request.OrganizationId,
        FileId = request.FileId,
        Code = code,
        Message = message,
    };
}
