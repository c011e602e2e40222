/**
 * The custom search attributes supervisors query in the Temporal UI. One definition each, used by the
 * workflow (upserts), the API (visibility queries) and the infrastructure (registration).
 * No patient name, birth date or member id ever goes here.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const ClaimStatusKey = defineSearchAttributeKey('ClaimStatus', SearchAttributeType.KEYWORD);
export const PracticeIdKey = defineSearchAttributeKey('PracticeId', SearchAttributeType.KEYWORD);
export const PayerIdKey = defineSearchAttributeKey('PayerId', SearchAttributeType.KEYWORD);
export const DenialCategoryKey = defineSearchAttributeKey('DenialCategory', SearchAttributeType.KEYWORD);
export const AssignedToKey = defineSearchAttributeKey('AssignedTo', SearchAttributeType.KEYWORD);
export const NextDeadlineKey = defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME);
export const OpenBalanceCentsKey = defineSearchAttributeKey('OpenBalanceCents', SearchAttributeType.INT);
export const EscalatedKey = defineSearchAttributeKey('Escalated', SearchAttributeType.BOOL);

/** Name -> CLI type name, for `temporal server start-dev --search-attribute` and the operator API. */
export const SEARCH_ATTRIBUTES: Record<string, 'Keyword' | 'Datetime' | 'Int' | 'Bool'> = {
  ClaimStatus: 'Keyword',
  PracticeId: 'Keyword',
  PayerId: 'Keyword',
  DenialCategory: 'Keyword',
  AssignedTo: 'Keyword',
  NextDeadline: 'Datetime',
  OpenBalanceCents: 'Int',
  Escalated: 'Bool',
};
