import { Module } from '@nestjs/common';
import { CursorCodec } from '../../common/pagination/cursor-codec';
import { FileRepository } from '../files/file.repository';
import { MessageSearchRepository } from './message-search.repository';
import { SearchController } from './search.controller';
import { SearchService } from './search.service';

@Module({
  controllers: [SearchController],
  // FileRepository (stateless) lists the files of the hits.
  providers: [MessageSearchRepository, SearchService, CursorCodec, FileRepository],
})
export class SearchModule {}
