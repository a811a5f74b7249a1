import { Controller, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from '../../../auth/current-principal.decorator';
import { Roles } from '../../../auth/roles.decorator';
import type { RequestPrincipal } from '../../../common/request-principal';
import { ApiJsonBody, ApiProblems, ApiResult, ValidBody } from '../../../openapi/zod-openapi.decorators';
import { type RecordTaxTransaction, recordTaxTransactionSchema, type TaxTransactionView, taxTransactionViewSchema } from '../dto/tax.dto';
import { TaxTransactionsService } from './tax-transactions.service';
import { Idempotent } from '../../../common/idempotency/idempotent.decorator';

@ApiTags('tax')
@Idempotent()
@Controller('api/v1/tax')
export class TaxTransactionsController {
  constructor(private readonly transactions: TaxTransactionsService) {}

  /** Idempotent by external id: the same body again answers 200 with the stored record. */
  @Post('transactions')
  @Roles('service')
  @ApiJsonBody(recordTaxTransactionSchema)
  @ApiResult(201, 'Recorded', taxTransactionViewSchema)
  @ApiResult(200, 'Recorded before with the same values: the stored record', taxTransactionViewSchema)
  @ApiProblems(400, 401, 403, 409, 422)
  async record(@CurrentPrincipal() principal: RequestPrincipal, @ValidBody(recordTaxTransactionSchema) body: RecordTaxTransaction, @Res({ passthrough: true }) reply: FastifyReply): Promise<TaxTransactionView> {
    const { transaction, created } = await this.transactions.record(principal, body);
    void reply.status(created ? 201 : 200);
    return transaction;
  }
}
