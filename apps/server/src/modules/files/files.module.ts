import { Module } from '@nestjs/common';
import { FileRepository } from './file.repository';
import { FilesController } from './files.controller';
import { FilesService } from './files.service';

@Module({
  controllers: [FilesController],
  providers: [FileRepository, FilesService],
})
export class FilesModule {}
