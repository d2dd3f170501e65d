// The rule list: one rule per file in rules/, registered under its id (the file name), as Redocly registers its rules.
// Within a severity, changes are reported in this order.
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
import { rule as requestPropertyAdded } from './rules/request-property-added.ts';
import { rule as requestPropertyAddedRequired } from './rules/request-property-added-required.ts';
import { rule as requestPropertyDeclared } from './rules/request-property-declared.ts';
import { rule as requestPropertyMadeOptional } from './rules/request-property-made-optional.ts';
import { rule as requestPropertyMadeRequired } from './rules/request-property-made-required.ts';
import { rule as requestPropertyRemoved } from './rules/request-property-removed.ts';
import { rule as requestPropertyUndeclared } from './rules/request-property-undeclared.ts';
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
import type { DiffRule, RuleDefinition } from './types.ts';

const BY_ID: Record<string, RuleDefinition> = {
  'api-version-changed': apiVersionChanged,
  'auth-contract-outcome-added': authContractOutcomeAdded,
  'auth-contract-outcome-changed': authContractOutcomeChanged,
  'auth-contract-outcome-removed': authContractOutcomeRemoved,
  'format-changed': formatChanged,
  'operation-added': operationAdded,
  'operation-api-version-changed': operationApiVersionChanged,
  'operation-deprecated': operationDeprecated,
  'operation-id-changed': operationIdChanged,
  'operation-removed': operationRemoved,
  'parameter-added-optional': parameterAddedOptional,
  'parameter-added-required': parameterAddedRequired,
  'parameter-made-optional': parameterMadeOptional,
  'parameter-made-required': parameterMadeRequired,
  'parameter-removed': parameterRemoved,
  'path-removed': pathRemoved,
  'request-additional-properties-closed': requestAdditionalPropertiesClosed,
  'request-body-made-required': requestBodyMadeRequired,
  'request-body-removed': requestBodyRemoved,
  'request-constraint-relaxed': requestConstraintRelaxed,
  'request-default-changed': requestDefaultChanged,
  'request-enum-value-added': requestEnumValueAdded,
  'request-enum-value-removed': requestEnumValueRemoved,
  'request-items-bounds-tightened': requestItemsBoundsTightened,
  'request-max-length-decreased': requestMaxLengthDecreased,
  'request-maximum-decreased': requestMaximumDecreased,
  'request-media-type-added': requestMediaTypeAdded,
  'request-media-type-removed': requestMediaTypeRemoved,
  'request-min-length-increased': requestMinLengthIncreased,
  'request-minimum-increased': requestMinimumIncreased,
  'request-nullable-added': requestNullableAdded,
  'request-nullable-removed': requestNullableRemoved,
  'request-pattern-added': requestPatternAdded,
  'request-property-added': requestPropertyAdded,
  'request-property-added-required': requestPropertyAddedRequired,
  'request-property-declared': requestPropertyDeclared,
  'request-property-made-optional': requestPropertyMadeOptional,
  'request-property-made-required': requestPropertyMadeRequired,
  'request-property-removed': requestPropertyRemoved,
  'request-property-undeclared': requestPropertyUndeclared,
  'request-type-changed': requestTypeChanged,
  'request-type-widened': requestTypeWidened,
  'request-union-branch-added': requestUnionBranchAdded,
  'request-union-branch-removed': requestUnionBranchRemoved,
  'required-role-changed': requiredRoleChanged,
  'required-role-removed': requiredRoleRemoved,
  'response-constraint-changed': responseConstraintChanged,
  'response-default-changed': responseDefaultChanged,
  'response-enum-value-added': responseEnumValueAdded,
  'response-enum-value-removed': responseEnumValueRemoved,
  'response-header-removed': responseHeaderRemoved,
  'response-media-type-added': responseMediaTypeAdded,
  'response-media-type-removed': responseMediaTypeRemoved,
  'response-nullable-added': responseNullableAdded,
  'response-nullable-removed': responseNullableRemoved,
  'response-property-added': responsePropertyAdded,
  'response-property-made-optional': responsePropertyMadeOptional,
  'response-property-made-required': responsePropertyMadeRequired,
  'response-property-removed': responsePropertyRemoved,
  'response-status-added': responseStatusAdded,
  'response-status-removed': responseStatusRemoved,
  'response-type-changed': responseTypeChanged,
  'response-type-narrowed': responseTypeNarrowed,
  'response-union-branch-added': responseUnionBranchAdded,
  'response-union-branch-removed': responseUnionBranchRemoved,
  'security-added': securityAdded,
  'security-alternative-added': securityAlternativeAdded,
  'security-removed': securityRemoved,
  'security-scheme-changed': securitySchemeChanged,
  'security-scheme-removed': securitySchemeRemoved,
  'security-scope-added': securityScopeAdded,
};

export const RULES: readonly DiffRule[] = Object.entries(BY_ID).map(([id, rule]) => ({ id, ...rule }));
