import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { ApiPathParams, ApiProblems, ApiResult, ValidParams } from '../openapi/zod-openapi.decorators';
import { type JobNameParams, jobListSchema, jobNameParamsSchema, type JobRunRequested, jobRunRequestedSchema, type JobView } from './dto/jobs.dto';
import { JobsService } from './jobs.service';
import { Idempotent } from '../common/idempotency/idempotent.decorator';

@ApiTags('jobs')
@Idempotent()
@Controller('api/v1/jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  @Roles('compliance_manager', 'admin')
  @ApiResult(200, 'Every background job: schedule, retry policy, queue depth and its last runs', jobListSchema)
  @ApiProblems(401, 403)
  async list(): Promise<{ items: JobView[] }> {
    return { items: await this.jobs.list() };
  }

  @Post(':name/run')
  @HttpCode(202)
  @Roles('admin')
  @ApiPathParams(jobNameParamsSchema)
  @ApiResult(202, 'Queued: a worker on any instance runs it; its progress shows in GET /api/v1/jobs', jobRunRequestedSchema)
  @ApiProblems(400, 401, 403, 404, 409)
  async run(@ValidParams(jobNameParamsSchema) params: JobNameParams): Promise<JobRunRequested> {
    return { jobId: await this.jobs.runNow(params.name) };
  }
}
