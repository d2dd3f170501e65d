// The rule list: one rule per file in rules/. Generated order = output order within a severity.
import { rule as apiVersionChanged } from './rules/api-version-changed.ts';
import { rule as authContractOutcomeAdded } from './rules/auth-contract-outcome-added.ts';
import { rule as authContractOutcomeChanged } from './rules/auth-contract-outcome-changed.ts';
import { rule as authContractOutcomeRemoved } from './rules/auth-contract-outcome-removed.ts';
import { rule as formatChanged } from './rules/format-changed.ts';
import { rule as operationAdded } from './rules/operation-added.ts';
import { rule as operationApiVersionChanged } from './rules/operation-api-version-changed.ts';
import { rule as operationDeprecated } from './rules/operation-deprecated.ts';
import { rule as operationIdChanged } from './rules/operation-id-changed.ts';
import { rule as operationRemoved } from './rules/operation-removed.ts';
import { rule as parameterAddedOptional } from './rules/parameter-added-optional.ts';
import { rule as parameterAddedRequired } from './rules/parameter-added-required.ts';
import { rule as parameterMadeOptional } from './rules/parameter-made-optional.ts';
import { rule as parameterMadeRequired } from './rules/parameter-made-required.ts';
import { rule as parameterRemoved } from './rules/parameter-removed.ts';
import { rule as pathRemoved } from './rules/path-removed.ts';
import { rule as requestAdditionalPropertiesClosed } from './rules/request-additional-properties-closed.ts';
import { rule as requestBodyMadeRequired } from './rules/request-body-made-required.ts';
import { rule as requestBodyRemoved } from './rules/request-body-removed.ts';
import { rule as requestConstraintRelaxed } from './rules/request-constraint-relaxed.ts';
import { rule as requestDefaultChanged } from './rules/request-default-changed.ts';
import { rule as requestEnumValueAdded } from './rules/request-enum-value-added.ts';
import { rule as requestEnumValueRemoved } from './rules/request-enum-value-removed.ts';
import { rule as requestItemsBoundsTightened } from './rules/request-items-bounds-tightened.ts';
import { rule as requestMaxLengthDecreased } from './rules/request-max-length-decreased.ts';
import { rule as requestMaximumDecreased } from './rules/request-maximum-decreased.ts';
import { rule as requestMediaTypeAdded } from './rules/request-media-type-added.ts';
import { rule as requestMediaTypeRemoved } from './rules/request-media-type-removed.ts';
import { rule as requestMinLengthIncreased } from './rules/request-min-length-increased.ts';
import { rule as requestMinimumIncreased } from './rules/request-minimum-increased.ts';
import { rule as requestNullableAdded } from './rules/request-nullable-added.ts';
import { rule as requestNullableRemoved } from './rules/request-nullable-removed.ts';
import { rule as requestPatternAdded } from './rules/request-pattern-added.ts';
import { rule as requestPropertyAddedRequired } from './rules/request-property-added-required.ts';
import { rule as requestPropertyAdded } from './rules/request-property-added.ts';
import { rule as requestPropertyMadeOptional } from './rules/request-property-made-optional.ts';
import { rule as requestPropertyMadeRequired } from './rules/request-property-made-required.ts';
import { rule as requestPropertyRemoved } from './rules/request-property-removed.ts';
import { rule as requestTypeChanged } from './rules/request-type-changed.ts';
import { rule as requestTypeWidened } from './rules/request-type-widened.ts';
import { rule as requestUnionBranchAdded } from './rules/request-union-branch-added.ts';
import { rule as requestUnionBranchRemoved } from './rules/request-union-branch-removed.ts';
import { rule as requiredRoleChanged } from './rules/required-role-changed.ts';
import { rule as requiredRoleRemoved } from './rules/required-role-removed.ts';
import { rule as responseConstraintChanged } from './rules/response-constraint-changed.ts';
import { rule as responseDefaultChanged } from './rules/response-default-changed.ts';
import { rule as responseEnumValueAdded } from './rules/response-enum-value-added.ts';
import { rule as responseEnumValueRemoved } from './rules/response-enum-value-removed.ts';
import { rule as responseHeaderRemoved } from './rules/response-header-removed.ts';
import { rule as responseMediaTypeAdded } from './rules/response-media-type-added.ts';
import { rule as responseMediaTypeRemoved } from './rules/response-media-type-removed.ts';
import { rule as responseNullableAdded } from './rules/response-nullable-added.ts';
import { rule as responseNullableRemoved } from './rules/response-nullable-removed.ts';
import { rule as responsePropertyAdded } from './rules/response-property-added.ts';
import { rule as responsePropertyMadeOptional } from './rules/response-property-made-optional.ts';
import { rule as responsePropertyMadeRequired } from './rules/response-property-made-required.ts';
import { rule as responsePropertyRemoved } from './rules/response-property-removed.ts';
import { rule as responseStatusAdded } from './rules/response-status-added.ts';
import { rule as responseStatusRemoved } from './rules/response-status-removed.ts';
import { rule as responseTypeChanged } from './rules/response-type-changed.ts';
import { rule as responseTypeNarrowed } from './rules/response-type-narrowed.ts';
import { rule as responseUnionBranchAdded } from './rules/response-union-branch-added.ts';
import { rule as responseUnionBranchRemoved } from './rules/response-union-branch-removed.ts';
import { rule as securityAdded } from './rules/security-added.ts';
import { rule as securityAlternativeAdded } from './rules/security-alternative-added.ts';
import { rule as securityRemoved } from './rules/security-removed.ts';
import { rule as securitySchemeChanged } from './rules/security-scheme-changed.ts';
import { rule as securitySchemeRemoved } from './rules/security-scheme-removed.ts';
import { rule as securityScopeAdded } from './rules/security-scope-added.ts';
import type { DiffRule } from './types.ts';

export const RULES: readonly DiffRule[] = [
  apiVersionChanged,
  authContractOutcomeAdded,
  authContractOutcomeChanged,
  authContractOutcomeRemoved,
  formatChanged,
  operationAdded,
  operationApiVersionChanged,
  operationDeprecated,
  operationIdChanged,
  operationRemoved,
  parameterAddedOptional,
  parameterAddedRequired,
  parameterMadeOptional,
  parameterMadeRequired,
  parameterRemoved,
  pathRemoved,
  requestAdditionalPropertiesClosed,
  requestBodyMadeRequired,
  requestBodyRemoved,
  requestConstraintRelaxed,
  requestDefaultChanged,
  requestEnumValueAdded,
  requestEnumValueRemoved,
  requestItemsBoundsTightened,
  requestMaxLengthDecreased,
  requestMaximumDecreased,
  requestMediaTypeAdded,
  requestMediaTypeRemoved,
  requestMinLengthIncreased,
  requestMinimumIncreased,
  requestNullableAdded,
  requestNullableRemoved,
  requestPatternAdded,
  requestPropertyAddedRequired,
  requestPropertyAdded,
  requestPropertyMadeOptional,
  requestPropertyMadeRequired,
  requestPropertyRemoved,
  requestTypeChanged,
  requestTypeWidened,
  requestUnionBranchAdded,
  requestUnionBranchRemoved,
  requiredRoleChanged,
  requiredRoleRemoved,
  responseConstraintChanged,
  responseDefaultChanged,
  responseEnumValueAdded,
  responseEnumValueRemoved,
  responseHeaderRemoved,
  responseMediaTypeAdded,
  responseMediaTypeRemoved,
  responseNullableAdded,
  responseNullableRemoved,
  responsePropertyAdded,
  responsePropertyMadeOptional,
  responsePropertyMadeRequired,
  responsePropertyRemoved,
  responseStatusAdded,
  responseStatusRemoved,
  responseTypeChanged,
  responseTypeNarrowed,
  responseUnionBranchAdded,
  responseUnionBranchRemoved,
  securityAdded,
  securityAlternativeAdded,
  securityRemoved,
  securitySchemeChanged,
  securitySchemeRemoved,
  securityScopeAdded,
];
