/**
 * Easy task grader: name the service at the root of the incident.
 *
 * Only a `diagnose` with a `target_service` answers. The target must denote exactly one service of
 * the system, by its name or a documented alias (src/scenarios/service-names.ts); a substring, a
 * list of services or an unknown name earns nothing. The root service earns 1.
 */
import { ActionType } from "../../gen/incident/v1/enums_pb.js";
import { resolveService } from "../scenarios/service-names.js";
import { finishGrade, zeroGrade, type Grade, type GradeContext, type Grader } from "./grade.js";

export const triageGrader: Grader = {
  name: "grade_easy",
  grade({ template, action }: GradeContext): Grade {
    if (action.actionType !== ActionType.DIAGNOSE) {
      return zeroGrade(this.name, "Only a diagnose action with a target_service answers the triage task.");
    }
    if (action.targetService === undefined || action.targetService.trim() === "") {
      return zeroGrade(this.name, "A diagnosis needs a target_service.");
    }
    const service = resolveService(action.targetService, template.services);
    if (!service) {
      return zeroGrade(this.name, `"${action.targetService}" does not name exactly one service of this system.`);
    }
    const correct = service.name === template.truth.rootService;
    return finishGrade(
      this.name,
      [{ name: "root_service", score: correct ? 1 : 0, weight: 1, detail: `diagnosed ${service.name}` }],
      [],
      [],
    );
  },
};
