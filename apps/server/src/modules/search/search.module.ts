import { Module } from '@nestjs/common';
import { CursorCodec } from '../../common/pagination/cursor-codec';
import { MessageSearchRepository } from './message-search.repository';
import { SearchController } from './search.controller';
import { SearchService } from './search.service';

@Module({
  controllers: [SearchController],
  providers: [MessageSearchRepository, SearchService, CursorCodec],
})
export class SearchModule {}
