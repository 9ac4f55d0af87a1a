import { Module } from '@nestjs/common';
import { CursorCodec } from '../../common/pagination/cursor-codec';
import { FileRepository } from '../files/file.repository';
import { ReactionRepository } from '../reactions/reaction.repository';
import { MessageSearchRepository } from './message-search.repository';
import { SearchController } from './search.controller';
import { SearchService } from './search.service';

@Module({
  controllers: [SearchController],
  // FileRepository and ReactionRepository (stateless) read the files and the reactions of the hits.
  providers: [MessageSearchRepository, SearchService, CursorCodec, FileRepository, ReactionRepository],
})
export class SearchModule {}
