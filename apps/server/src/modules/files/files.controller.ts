import { pipeline } from 'node:stream/promises';
import { Controller, Get, HttpCode, Logger, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { UPLOAD_FILE_FIELD } from '@chat/shared';
import type { Request, Response } from 'express';
import { ZodResponse } from 'nestjs-zod';
import { ApiErrors } from '../../common/swagger/api-errors.decorator';
import { CurrentUserId } from '../auth/auth.guard';
import { FileIdParamDto, UploadedFileDto } from './files.dto';
import { type FileDownload, FilesService } from './files.service';

const header = (req: Request, name: string) => {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
};

@ApiTags('Files')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('files')
export class FilesController {
  private readonly logger = new Logger(FilesController.name);

  constructor(private readonly files: FilesService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Upload a file',
    description: [
      `multipart/form-data with exactly one file in the field \`${UPLOAD_FILE_FIELD}\`; other text fields are ignored.`,
      'The type is read from the file bytes, never from the Content-Type or the name: unknown binary data is `application/octet-stream`,',
      'text (UTF-8 without NUL in its first KB) is `text/plain`, and HTML, SVG, XML and scripts are never recorded as such.',
      'The name is kept for display only: its last path segment, without control characters, at most 255 bytes of UTF-8.',
      'The file is not attached to anything yet: only you can read it until a message takes it.',
    ].join('\n'),
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: [UPLOAD_FILE_FIELD], properties: { [UPLOAD_FILE_FIELD]: { type: 'string', format: 'binary' } } },
  })
  @ZodResponse({ status: 201, description: 'Stored', type: UploadedFileDto })
  @ApiErrors(
    [400, 'Not multipart/form-data, no file in the field `file`, a file in another field, several files, or a cut-off body'],
    [413, 'The file is larger than MAX_UPLOAD_BYTES'],
    [429, 'Too many uploads (UPLOAD_RATE_LIMIT per minute); see the Retry-After header'],
  )
  upload(@CurrentUserId() userId: string, @Req() req: Request) {
    return this.files.upload(userId, req);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Download a file',
    description: [
      'For its uploader while unattached, and for the current members of the conversation of the message it is attached to.',
      'Images (PNG, JPEG, GIF, WebP, AVIF) are `inline`; everything else is an `attachment`. Served with `nosniff`, a sandboxing CSP, a strong ETag',
      '(If-None-Match answers 304) and one byte range per request (206, or 416 past the end). HEAD answers the headers alone.',
      'Where the storage hands files out itself, the answer is a 302 to a short-lived URL instead.',
    ].join('\n'),
  })
  @ApiHeader({ name: 'Range', required: false, description: 'One range, e.g. `bytes=0-1023`, `bytes=1024-` or `bytes=-512`' })
  @ApiHeader({ name: 'If-None-Match', required: false })
  @ApiProduces('application/octet-stream')
  @ApiResponse({ status: 200, description: 'The file', schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 206, description: 'The requested range; see Content-Range', schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 302, description: 'Fetch the file from the Location given (short-lived)' })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched)' })
  @ApiErrors([400, 'Not a uuid'], [404, 'No such file, or not yours to read'], [416, 'The range starts past the end; see Content-Range'])
  async download(@CurrentUserId() userId: string, @Param() params: FileIdParamDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    const result = await this.files.download(userId, params.id, {
      range: header(req, 'range'),
      ifRange: header(req, 'if-range'),
      ifNoneMatch: header(req, 'if-none-match'),
      withBody: req.method !== 'HEAD',
    });
    await this.send(res, result);
  }

  @Get(':id/info')
  @ApiOperation({
    summary: 'Describe a file',
    description: 'What the upload answered, as it is now: `width`, `height` and `thumbnailUrl` appear once the thumbnail of an image is made.',
  })
  @ZodResponse({ status: 200, description: 'The file', type: UploadedFileDto })
  @ApiErrors([400, 'Not a uuid'], [404, 'No such file, or not yours to read'])
  info(@CurrentUserId() userId: string, @Param() params: FileIdParamDto) {
    return this.files.info(userId, params.id);
  }

  @Get(':id/thumbnail')
  @ApiOperation({
    summary: 'Download the thumbnail of an image',
    description: [
      "A WebP at most 400 px on its longest side, upright, without the original's metadata; same access rule as the file.",
      'Made in the background after the upload of a PNG, JPEG, GIF (first frame), WebP or AVIF: 404 until it is ready,',
      'and for good when the file is not an image, is over 50 megapixels or cannot be decoded.',
      'Served `inline` with `nosniff`, a sandboxing CSP and a strong ETag (If-None-Match answers 304); on S3, a 302 to a short-lived URL.',
    ].join('\n'),
  })
  @ApiHeader({ name: 'If-None-Match', required: false })
  @ApiProduces('image/webp')
  @ApiResponse({ status: 200, description: 'The thumbnail', schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 302, description: 'Fetch the thumbnail from the Location given (short-lived)' })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched)' })
  @ApiErrors([400, 'Not a uuid'], [404, 'No such file, not yours to read, not an image, or its thumbnail is not made (yet)'])
  async thumbnail(@CurrentUserId() userId: string, @Param() params: FileIdParamDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    const result = await this.files.thumbnail(userId, params.id, { ifNoneMatch: header(req, 'if-none-match'), withBody: req.method !== 'HEAD' });
    await this.send(res, result);
  }

  private async send(res: Response, result: FileDownload): Promise<void> {
    if (result.kind === 'redirect') {
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(302, result.url);
      return;
    }
    res.set(result.headers);
    if (result.kind === 'not-modified') {
      res.status(304).end();
      return;
    }
    res.status(result.status);
    if (!result.body) {
      res.end();
      return;
    }
    // A client that leaves mid-download ends the pipeline; nothing to answer then.
    await pipeline(result.body, res).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') this.logger.warn(error, 'file download failed mid-stream');
    });
  }
}
